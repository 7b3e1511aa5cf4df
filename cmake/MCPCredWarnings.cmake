# Warnings as errors on the project's own code only (not generated protobuf code).
function(mcpcred_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
endfunction()
