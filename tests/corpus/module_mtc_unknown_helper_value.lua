-- expect: exit 2
-- message: mtc.tr45820.coupling
-- known-failing: lua/unknown module names (a misspelt helper table entry is nil: the default coverage is used silently)
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, coverage = mtc.tr45820.coupling } },
}
