#!/usr/bin/perl
# Score each message file named on the command line with SpamAssassin's local tests, loading the
# rules once: prints "path<TAB>score<TAB>rules hit" per message.
use strict;
use warnings;
use Mail::SpamAssassin;

my $spamassassin = Mail::SpamAssassin->new({
    local_tests_only => 1,    # no DNS, no network: the score depends on the message alone
    dont_copy_prefs  => 1,
    userprefs_filename => '/dev/null',
    user_state_dir   => $ENV{HOME},    # the test's own directory, never the real ~/.spamassassin
    home_dir_for_helpers => $ENV{HOME},
    post_config_text => "use_bayes 0\nbayes_auto_learn 0\n",
});
$spamassassin->compile_now(0);
for my $path (@ARGV) {
    open(my $file, '<', $path) or die "$path: $!";
    my $raw = do { local $/; <$file> };
    close($file);
    my $message = $spamassassin->parse($raw);
    my $status = $spamassassin->check($message);
    printf("%s\t%.1f\t%s\n", $path, $status->get_score(), $status->get_names_of_tests_hit());
    $status->finish();
    $message->finish();
}
