-- expect: exit 2
-- message: mtc.scenario: expected a table
local mtc = require "mtc"
return mtc.scenario("quickstart")
