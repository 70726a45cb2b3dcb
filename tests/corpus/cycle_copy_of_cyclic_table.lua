-- expect: exit 2
-- message: contains itself
-- mtc.copy finds the cycle (it overflowed the stack); the message names the scenario's line.
local mtc = require "mtc"
local base = { count = 10 }
base.parent = base
local g = mtc.copy(base)
return { devices = { g } }
