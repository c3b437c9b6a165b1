"""Everything about webhooks: subscriptions, signing, the SSRF-safe client, delivery and its log."""
