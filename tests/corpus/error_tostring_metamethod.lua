-- expect: exit 2
-- message: bad calibration table
-- known-failing: lua/messages (an error object's __tostring is not used, and no file:line)
local E = setmetatable({ what = "bad calibration table" }, {
  __tostring = function(e) return e.what end,
})
error(E)
return { devices = { { count = 1 } } }
