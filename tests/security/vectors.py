"""The attack table: each attack once shown to work, and the tests that now show it failing.
test_vectors.py checks that every test named here exists, so none is dropped unnoticed."""

from __future__ import annotations

# attack -> "module::test" of tests/security that replays it ("package.module::test" for a test
# elsewhere under tests/, e.g. "search.test_page::...").
VECTORS: dict[str, tuple[str, ...]] = {
    "15.1 a session cookie copied before logout still works after it": (
        "test_logout_sessions::test_a_session_cookie_copied_before_logout_is_refused_after_it",
    ),
    "15.1 a remember-me cookie (a year) copied before logout still works after it": (
        "test_logout_sessions::test_a_remember_cookie_copied_before_logout_is_refused_after_it",
    ),
    "15.1 a stolen session lives on until a password change": (
        "test_logout_sessions::test_the_profile_lists_live_sessions_and_logs_out_one_or_all_others",
        "test_logout_sessions::test_a_session_of_someone_else_cannot_be_revoked_by_id",
        "test_logout_sessions::test_a_password_change_keeps_this_session_and_ends_the_others",
    ),
    "15.1 signed-in pages kept by browser caches; remember cookie sent cross-site": (
        "test_logout_sessions::test_signed_in_pages_are_not_stored_by_browsers_or_proxies",
        "test_logout_sessions::test_the_remember_cookie_is_same_site_lax",
    ),
    "15.2 behind nginx one attacker's failures answer 429 to everyone (all from 127.0.0.1)": (
        "test_proxy_throttle_live::test_behind_nginx_limits_count_per_client_and_per_account",
        "test_account_throttles::test_one_addresss_failures_do_not_lock_out_another_address",
    ),
    "15.2 a botnet with many addresses is not limited per account": (
        "test_proxy_throttle_live::test_behind_nginx_limits_count_per_client_and_per_account",
        "test_account_throttles::"
        "test_many_addresses_against_one_account_are_paused_and_the_reset_link_lifts_it",
    ),
    "15.2 with no proxy configured (the default) a forged X-Forwarded-For picks the counted "
    "address": (
        "test_account_throttles::"
        "test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_change_the_counted_address",
        "test_account_throttles::test_behind_one_trusted_proxy_only_the_last_forwarded_for_entry_counts",
    ),
    "15.2 DEPLOY.md's env file (a copy of .env.example) sets TRUSTED_PROXY_COUNT=0 behind nginx": (
        "test_production::test_the_guides_env_file_and_gunicorn_config_trust_exactly_the_nginx_proxy",
    ),
    "15.2 unlimited sign-ups and reset emails, each sending an email anywhere": (
        "test_account_throttles::test_sign_ups_are_limited_per_address",
        "test_account_throttles::test_reset_emails_to_one_address_are_limited_whoever_asks",
    ),
    "15.5 login time tells whether an account exists (no hash for unknown addresses)": (
        "test_account_enumeration::"
        "test_a_failed_login_checks_one_scrypt_hash_whether_or_not_the_account_exists",
    ),
    "15.5 forgot-password work tells whether an account exists": (
        "test_account_enumeration::"
        "test_forgot_password_does_the_same_work_for_known_and_unknown_addresses",
    ),
    "15.5 registration says an address already has an account": (
        "test_account_enumeration::"
        "test_registration_hashes_the_password_once_whether_or_not_the_address_is_taken",
        "test_account_enumeration::"
        "test_signing_up_with_a_taken_address_emails_its_owner_not_the_stranger",
    ),
    "15.5 add-member says whether an address has an account (or shows a stranger's name)": (
        "test_account_enumeration::"
        "test_add_member_answers_alike_for_a_strangers_account_and_no_account",
    ),
    "15.10 the most common passwords and one's own name or address are accepted": (
        "test_common_passwords::test_password_rules",
        "test_common_passwords::test_registration_refuses_a_common_password_and_creates_nothing",
        "test_common_passwords::test_a_reset_refuses_a_common_password_and_keeps_the_old_one",
        "test_common_passwords::test_the_profile_refuses_the_persons_own_name_as_password",
    ),
    "15.3 a repeat rule that never matches holds a web worker for 20-27 s of CPU": (
        "test_costly_input::test_checking_a_rule_gives_up_after_one_calendar_cycle",
        "test_costly_input::test_an_impossible_rule_is_refused_at_save_with_a_clear_message",
        "test_costly_input::test_a_rule_whose_first_date_is_years_away_is_refused_with_its_date",
    ),
    "15.3 process_recurring_tasks spends the same unbounded work on a stored rule": (
        "test_costly_input::test_the_recurring_job_stops_a_stored_impossible_rule_within_the_bound",
        "test_costly_input::test_process_recurring_tasks_in_a_real_worker_stops_the_impossible_series",
    ),
    "15.3 a repeating task first due centuries ago: every page showing it walks every hour since": (
        "test_costly_input::"
        "test_an_hourly_series_from_centuries_back_examines_a_few_periods_not_all_of_them",
        "test_costly_input::test_a_first_due_date_more_than_ten_years_from_today_is_refused",
        "recurring.test_rules::test_skipping_whole_periods_gives_exactly_the_dates_dateutil_walks_to",
        "recurring.test_rules::test_a_rule_with_count_cannot_skip_so_count_is_kept_small",
    ),
    "15.3 an export (or list) filtered by 600k labels: a 4.7 MB row, every bad value echoed": (
        "test_costly_input::test_ten_thousand_labels_in_an_export_are_capped_and_said_so",
    ),
    "15.3 a request body of any size without nginx (no MAX_CONTENT_LENGTH)": (
        "test_costly_input::test_a_body_past_max_content_length_gets_a_clear_413_page",
    ),
    "15.3 search terms without end, each one more pattern to match": (
        "search.test_rules::test_too_long_a_query_is_refused_with_the_limit_named",
        "search.test_rules::test_more_words_than_the_limit_search_the_first_ones_and_say_so",
        "search.test_page::test_a_query_too_long_is_refused_with_a_message",
        "search.test_page::test_many_words_search_the_first_eight_and_say_so",
    ),
    "15.3 page numbers past the end, negative or huge": (
        "core.test_bad_input::test_negative_zero_and_huge_page_numbers_show_a_page",
        "core.test_page_queries::test_a_page_past_the_end_shows_the_last_one_and_filters_combine",
    ),
    "15.4 production accepts the printed development key or a low-entropy key (forged links)": (
        "test_secret_key::test_production_refuses_a_secret_key_that_is_not_secret",
        "test_secret_key::test_production_accepts_a_generated_secret_key",
    ),
    "15.4 the development key served beyond loopback goes unnoticed": (
        "test_secret_key::test_the_development_warning_needs_all_three_conditions",
        "test_secret_key::test_a_server_open_beyond_loopback_with_the_development_key_says_so_loudly",
    ),
    "15.4 an unsubscribe link reveals whose address it is": (
        "test_secret_key::test_an_unsubscribe_page_never_shows_whose_address_it_is",
    ),
    "15.6 /readyz names the workers to anyone and costs a 2 s ping per caller": (
        "test_operations_endpoints::test_readyz_tells_a_stranger_only_ready_or_not",
        "test_operations_endpoints::test_readyz_callers_within_the_cache_window_share_one_check",
        "test_operations_endpoints::test_readyz_returns_at_the_first_worker_reply_not_at_its_timeout",
    ),
    "15.6 /metrics open in production; Flower on every address without a login": (
        "test_operations_endpoints::test_production_refuses_to_start_without_a_metrics_token",
        "test_operations_endpoints::"
        "test_flower_as_the_guide_starts_it_listens_on_loopback_and_asks_for_a_login",
    ),
    "15.7 an id beyond the integer column answers 500": (
        "test_route_table::test_ids_beyond_the_column_range_are_not_found_on_every_int_route",
    ),
    "15.7 an id in a query or form beyond the column (the calendar feed's ?project=2**31), "
    "negative, or a digit int() refuses ('²')": (
        "test_route_table::test_odd_ids_in_query_and_form_values_never_answer_500",
    ),
    "15.7 _external, _scheme, _anchor, _method, endpoint in a pager's query reach url_for": (
        "test_route_table::test_url_for_keywords_in_the_query_string_are_ignored_on_every_get",
    ),
    "15.8 webhooks to 6to4, Teredo, NAT64 forms of internal IPv4 addresses": (
        "test_webhook_targets::test_embedded_internal_addresses_and_unsendable_urls_are_refused_at_save",
        "test_webhook_targets::test_internal_addresses_are_refused_when_the_job_connects",
    ),
    "15.8 a webhook URL that cannot be sent is retried forever": (
        "test_webhook_targets::test_a_url_that_cannot_be_sent_fails_at_once_instead_of_retrying",
    ),
    "15.9 /dev/mail shows reset links to anyone who reaches make run": (
        "test_dev_tools::test_dev_mail_is_for_an_admin_at_this_machine_only",
    ),
    "15.9 /dev/webhooks shows every project's payloads": (
        "test_dev_tools::test_dev_webhooks_shows_only_the_viewers_projects_payloads",
    ),
}
