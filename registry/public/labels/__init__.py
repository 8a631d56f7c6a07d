"""Labels of synthetic results (TR-02, Art. 21(2)–(3)): the visible warning, the machine-readable
mark, the per-organization signing keys and the public verification of signed labels; and the
consumer information notice (CONS-01) generated from the register."""
