"""The attack table: each attack once shown to work, and the tests that now show it failing.
test_vectors.py checks that every test named here exists, so none is dropped unnoticed."""

from __future__ import annotations

# attack -> "module::test" of tests/security that replays it.
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
}
