# Checks a quench-reproduce output folder: every file the README and paper use exists, and
# the claims table marks the key claims (E12, E26, X5, X8) as holding.
foreach(f report.md claims.csv optimal_batch.csv optimal_k.csv progress_guarantee.csv concentration.csv
          concentration_x5.csv negative_variance.csv optimal_batch_curve.svg progress_guarantee.svg
          concentration_coverage.svg concentration_x5.svg tex/reproduce-macros.tex tex/reproduce-claims.tex
          tex/optimal_batch_curve.tex tex/optimal_batch_curve.csv tex/concentration_x5.tex
          tex/concentration_x5.csv)
  if(NOT EXISTS "${REPORT}/${f}")
    message(FATAL_ERROR "missing ${REPORT}/${f}")
  endif()
endforeach()
file(STRINGS "${REPORT}/claims.csv" claims)
foreach(id E12 E12-eta E29 E27 E26 X5 X8 X8-fixed)
  set(found FALSE)
  foreach(line IN LISTS claims)
    if(line MATCHES "^${id},yes,")
      set(found TRUE)
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "claim ${id} does not hold (or is missing) in ${REPORT}/claims.csv")
  endif()
endforeach()
message(STATUS "report ${REPORT}: all files present, key claims hold")
