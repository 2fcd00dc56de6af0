# Imported targets for the C libraries behind Boost.Multiprecision's mpfr and mpfi back
# ends and the rigorous interval's log: quench::gmp, quench::mpfr, quench::mpfi.
# Debian ships no CMake config for them, so they are found by header and library name.
include_guard(GLOBAL)
foreach(lib gmp mpfr mpfi)
  string(TOUPPER ${lib} LIB)
  find_path(QUENCH_${LIB}_INCLUDE_DIR ${lib}.h)
  find_library(QUENCH_${LIB}_LIBRARY ${lib})
  if(NOT QUENCH_${LIB}_INCLUDE_DIR OR NOT QUENCH_${LIB}_LIBRARY)
    message(FATAL_ERROR "quench: lib${lib} not found (Debian: apt-get install lib${lib}-dev, or run scripts/setup.sh)")
  endif()
  if(NOT TARGET quench::${lib})
    add_library(quench::${lib} UNKNOWN IMPORTED)
    set_target_properties(quench::${lib} PROPERTIES
      IMPORTED_LOCATION "${QUENCH_${LIB}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${QUENCH_${LIB}_INCLUDE_DIR}")
  endif()
endforeach()
set_property(TARGET quench::mpfr APPEND PROPERTY INTERFACE_LINK_LIBRARIES quench::gmp)
set_property(TARGET quench::mpfi APPEND PROPERTY INTERFACE_LINK_LIBRARIES quench::mpfr)
