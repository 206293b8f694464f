{
  "targets": [
    {
      "target_name": "ntcopy",
      "sources": [
        "native/addon/binding.cc",
        "native/addon/views.cc",
        "native/addon/wdf.cc",
        "native/addon/ndis.cc",
        "native/addon/lsa.cc",
        "native/addon/bench.cc",
        "native/addon/batch.cc",
        "native/core/nt_handle.c",
        "native/core/nt_wdf.c",
        "native/core/nt_ndis_obj.c",
        "native/core/nt_ndis_seek.c",
        "native/core/nt_ndis_copy.c",
        "native/core/nt_ndis_adv.c",
        "native/core/nt_lsa.c",
        "native/core/nt_batch.c"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/core"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "cflags_c": ["-std=c11"],
      "cflags_cc": ["-std=c++17"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "xcode_settings": { "GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17" },
      "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } }
    }
  ]
}
