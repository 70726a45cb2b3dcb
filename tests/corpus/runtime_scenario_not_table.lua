-- expect: exit 2
-- message: mtc.scenario: expected a table
-- known-failing: lua/messages (mtc.scenario's error(msg, 2) blames a tail call: no file:line)
local mtc = require "mtc"
return mtc.scenario("quickstart")
