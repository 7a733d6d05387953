"""twinmap: sister-city partnerships in DuckDB, on a map, a timeline and tourism charts."""
