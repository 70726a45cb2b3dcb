-- expect: exit 2
-- message: __gc finalisers are not available
-- setmetatable refuses __gc (finalisers run outside the budget): the loop never starts.
setmetatable({}, { __gc = function() while true do end end })
return { devices = { { count = 10 } } }
