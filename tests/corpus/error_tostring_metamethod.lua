-- expect: exit 2
-- message: not a message string (a table)
-- An error object's __tostring is not called (script code that could fail or loop
-- again inside the message handler): its type is named, with the line of error().
local E = setmetatable({ what = "bad calibration table" }, {
  __tostring = function(e) return e.what end,
})
error(E)
return { devices = { { count = 1 } } }
