"""A demo region with a year of sample records, made through the same services as real work."""
