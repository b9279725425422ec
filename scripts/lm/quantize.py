"""Weight-only quantised copies of an ONNX model. export_onnx.py --weights fp16 ships the fp16 form (the
edge's small model); the int8 form is for measuring size against speed and accuracy.

  python3 scripts/lm/quantize.py fp16 IN.onnx OUT.onnx   # float32 weights stored as float16, Cast back
  python3 scripts/lm/quantize.py int8 IN.onnx OUT.onnx   # per-row symmetric int8, DequantizeLinear back

Activations stay float32 (onnxruntime-web's wasm kernels are float32); only the stored weights shrink. Needs
the `onnx` package (Debian: python3-onnx).
"""
from __future__ import annotations

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_ELEMENTS = 1024  # small tensors (biases, norms) are not worth a conversion node


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
            axis = 0 if w.ndim > 1 else None
            scale = np.abs(w).max(axis=tuple(range(1, w.ndim)) if axis == 0 else None) / 127.0
            scale = np.maximum(scale, 1e-12).astype(np.float32)
            q = np.round(w / (scale.reshape(-1, *([1] * (w.ndim - 1))) if axis == 0 else scale)).astype(np.int8)
            added += [
                numpy_helper.from_array(q, init.name + "__q"),
                numpy_helper.from_array(scale, init.name + "__scale"),
                numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), init.name + "__zero"),
            ]
            attrs = {"axis": 0} if axis == 0 else {}
            converters.append(
                helper.make_node("DequantizeLinear", [init.name + "__q", init.name + "__scale", init.name + "__zero"], [init.name], **attrs)
            )
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
