"""The post-editing workbench: its project store, translation memory and effort log."""
