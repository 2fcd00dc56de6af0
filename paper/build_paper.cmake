# Regenerates every input of the paper and builds it with latexmk.
#   cmake -DREPRODUCE=... -DTRAIN=... -DINPUTS=... -DLATEXMK=... -DSOURCE=<repo> -DOUT=<dir>
#         [-DQUICK=ON] -P build_paper.cmake
# Output: <OUT>/quench-paper.pdf, and the reports in <OUT>/reproduce and <OUT>/train.
foreach(v REPRODUCE TRAIN INPUTS LATEXMK SOURCE OUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "build_paper.cmake: -D${v}=... is required")
  endif()
endforeach()
file(MAKE_DIRECTORY "${OUT}")

set(reproduce_args --out "${OUT}/reproduce")
if(QUICK)
  list(APPEND reproduce_args --quick)
endif()
execute_process(COMMAND "${REPRODUCE}" ${reproduce_args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "quench-reproduce failed (exit ${rc}): the paper would report a failed claim")
endif()
execute_process(COMMAND "${TRAIN}" --out "${OUT}/train" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "quench-train failed (exit ${rc})")
endif()
execute_process(COMMAND "${INPUTS}" "${SOURCE}" "${OUT}/generated" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "quench-paper-inputs failed (exit ${rc})")
endif()

# The Fashion-MNIST study is not rerun here (about an hour): its committed results are read.
set(fmnist "${SOURCE}/examples/fashion_mnist/results")
set(texinputs ".:${OUT}/reproduce/tex//:${OUT}/train/tex//:${OUT}/generated//:${fmnist}/tex//:${fmnist}:${SOURCE}/paper//:")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "TEXINPUTS=${texinputs}"
          "${LATEXMK}" -pdf -interaction=nonstopmode -halt-on-error -file-line-error -quiet
          -jobname=quench-paper "${SOURCE}/paper/quench-paper.tex"
  WORKING_DIRECTORY "${OUT}" RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT rc EQUAL 0 OR NOT EXISTS "${OUT}/quench-paper.pdf")
  message(FATAL_ERROR "latexmk failed (exit ${rc}); see ${OUT}/quench-paper.log\n${log}")
endif()
# An undefined reference or citation is an error too.
file(READ "${OUT}/quench-paper.log" texlog)
if(texlog MATCHES "There were undefined references|Reference `[^']*' on page [0-9]+ undefined")
  message(FATAL_ERROR "the paper has undefined references; see ${OUT}/quench-paper.log")
endif()
message(STATUS "paper: ${OUT}/quench-paper.pdf")
