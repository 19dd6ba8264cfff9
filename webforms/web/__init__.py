"""Web views, one blueprint a concern."""
