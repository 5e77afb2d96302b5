{
  "targets": [
    {
      "target_name": "linalg_native",
      "sources": [
        "src/native/addon.cc",
        "src/native/blas-products.cc",
        "src/native/heap-policy.cc",
        "src/native/lapack-decompositions.cc",
        "src/native/lapack-error.cc",
        "src/native/openblas-info.cc",
        "src/native/thread-pool.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(pkg-config --cflags-only-I openblas 2>/dev/null | sed -e 's/-I//g')"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-Wall", "-Wextra"],
      "libraries": [
        "<!@(pkg-config --libs-only-L openblas 2>/dev/null)",
        "-lopenblas",
        "-llapacke"
      ]
    }
  ]
}
