"""Weight-only compressed copies of an ONNX model: export_onnx.py --weights fp16|int8 calls it; the edge's
small model ships int8.

  python3 scripts/lm/quantize.py fp16 IN.onnx OUT.onnx   # float32 weights stored as float16, Cast back
  python3 scripts/lm/quantize.py int8 IN.onnx OUT.onnx   # per-row symmetric int8, Cast and Mul by the row scale

Activations stay float32 (onnxruntime-web's wasm kernels are float32); only the stored weights shrink. The
conversions are plain Cast and Mul nodes on initializers, which onnxruntime folds into float32 constants when
it loads the session, so the model runs exactly as fast as float32. (DequantizeLinear is not folded: it is
kept for quantised kernels, and in wasm it ran the career model twice as slow.) Needs the `onnx` package
(Debian: python3-onnx).
"""
from __future__ import annotations

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_ELEMENTS = 1024  # small tensors (biases, norms) are not worth a conversion node


def int8_rows(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per row of the first axis (a Linear's output channel, an embedding's row): q, scale
    with w ~= q * scale. export_onnx.py rounds the PyTorch weights with the same arithmetic."""
    rows = w.reshape(w.shape[0], -1)
    scale = np.maximum(np.abs(rows).max(axis=1) / np.float32(127.0), np.float32(1e-12)).astype(np.float32)
    scale = scale.reshape(-1, *([1] * (w.ndim - 1)))
    return np.round(w / scale).astype(np.int8), scale


def quantize(model: onnx.ModelProto, mode: str) -> onnx.ModelProto:
    graph = model.graph
    kept, added, converters = [], [], []
    for init in graph.initializer:
        w = numpy_helper.to_array(init)
        if init.data_type != TensorProto.FLOAT or w.size < MIN_ELEMENTS:
            kept.append(init)
            continue
        if mode == "fp16":
            added.append(numpy_helper.from_array(w.astype(np.float16), init.name + "__fp16"))
            converters.append(helper.make_node("Cast", [init.name + "__fp16"], [init.name], to=TensorProto.FLOAT))
        else:
            q, scale = int8_rows(w)
            added += [numpy_helper.from_array(q, init.name + "__q"), numpy_helper.from_array(scale, init.name + "__scale")]
            converters += [
                helper.make_node("Cast", [init.name + "__q"], [init.name + "__qf"], to=TensorProto.FLOAT),
                helper.make_node("Mul", [init.name + "__qf", init.name + "__scale"], [init.name]),
            ]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(converters + nodes)
    onnx.checker.check_model(model)
    return model


def main() -> None:
    mode, src, dst = sys.argv[1:4]
    if mode not in ("fp16", "int8"):
        raise SystemExit("mode is fp16 or int8")
    onnx.save(quantize(onnx.load(src), mode), dst)
    print(f"{dst}: {os.path.getsize(dst):,} bytes (from {os.path.getsize(src):,})")


if __name__ == "__main__":
    main()
