"""Risk management: the risk register of each AI system (risks, measures, heat maps, the catalogue
of common risks) and its annual review. Its models belong to the `risk` Django app (same tables);
classification, the banned-practice screen and obligations live beside it in `risk/`."""
