"""Build the shipped NCI background: standardised SMILES and their fingerprints.

Usage (from the repository root, after an RDKit upgrade or a change to standardisation):

    PYTHONPATH=src python tools/build_background.py

Writes ``src/imidchem/data/nci_background.smi`` (standardised SMILES, tab, NCI id) and
``src/imidchem/data/nci_background_fps.npz`` (per fingerprint kind: the bit vectors in
RDKit's binary form, ``KIND_data`` bytes and ``KIND_offsets``). ``tests/test_background.py``
checks the shipped files against a fresh computation on a sample.
"""

from __future__ import annotations

import time

import numpy as np
import rdkit
from rdkit import Chem

from imidchem.chem.fingerprints import FINGERPRINTS, fingerprint
from imidchem.data.background import (
    FINGERPRINT_FILE,
    SMILES_FILE,
    compute_background,
    data_path,
    pack_fingerprints,
)


def main() -> None:
    start = time.process_time()
    rows = compute_background()
    lines = "".join(f"{Chem.MolToSmiles(mol)}\t{nci_id}\n" for nci_id, mol in rows)
    data_path(SMILES_FILE).write_text(lines, encoding="utf-8")
    mols = [mol for _, mol in rows]  # fingerprints of the standardised Mols, as the engine has them
    arrays = {"rdkit_version": np.array(rdkit.__version__)}
    for kind in FINGERPRINTS:
        data, offsets = pack_fingerprints(fingerprint(mol, kind) for mol in mols)
        arrays[f"{kind}_data"] = data
        arrays[f"{kind}_offsets"] = offsets
    np.savez_compressed(data_path(FINGERPRINT_FILE), **arrays)
    print(
        f"{len(rows)} molecules, {len(FINGERPRINTS)} fingerprint kinds, "
        f"RDKit {rdkit.__version__}, {time.process_time() - start:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
