"""Method pipelines: PAPRIKA (paprika), its curriculum, and SCoRe."""
