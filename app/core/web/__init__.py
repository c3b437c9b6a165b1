"""Web parts every feature's pages share: error pages, security headers, URL converters, form base,
template helpers."""
