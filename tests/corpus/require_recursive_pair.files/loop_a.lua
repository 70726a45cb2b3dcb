local b = require "loop_b"
return { b = b }
