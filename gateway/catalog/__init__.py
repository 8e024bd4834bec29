"""pg_catalog and information_schema answered from the models a credential may see."""
