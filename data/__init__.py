"""Bundled data of sitmap (installed as the package ``sitmap_data``; found with importlib.resources)."""
