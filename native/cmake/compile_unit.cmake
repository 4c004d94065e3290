# Builds one NativeAttention compile unit the way the library does: concatenates its pieces (no includes between
# them) into UNIT, compiles UNIT with nvcc into the fatbin OUT, keeps ptxas's resource report in LOG, and fails on
# any spill or stack frame in a kernel (unless ALLOW_SPILLS is set: tuning experiments only).
#   cmake -DNVCC=... -DPARTS=a|b|c -DUNIT=x.cu -DOUT=x.fatbin -DLOG=x.ptxas.log -DFLAGS=f1|f2 [-DALLOW_SPILLS=1] -P compile_unit.cmake
string(REPLACE "|" ";" parts "${PARTS}")
string(REPLACE "|" ";" flags "${FLAGS}")

set(source "")
foreach(part IN LISTS parts)
  file(READ "${part}" text)
  string(APPEND source "${text}\n")
endforeach()
file(WRITE "${UNIT}" "${source}")

execute_process(
  COMMAND "${NVCC}" -fatbin ${flags} -Xptxas -v -o "${OUT}" "${UNIT}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
file(WRITE "${LOG}" "${out}${err}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "nvcc failed on ${UNIT}:\n${out}${err}")
endif()
if(NOT ALLOW_SPILLS AND "${out}${err}" MATCHES "[1-9][0-9]* bytes (spill stores|spill loads|stack frame)")
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "register spills or a stack frame in ${UNIT} (see ${LOG}):\n${out}${err}")
endif()
