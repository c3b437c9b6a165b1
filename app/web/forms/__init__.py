"""Forms for every page that takes input; each validates what it can without the database."""
