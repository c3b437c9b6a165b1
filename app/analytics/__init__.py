"""Analytics numbers, their cache and charts."""
