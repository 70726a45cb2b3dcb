-- expect: exit 2
-- message: endless loop
print(setmetatable({}, { __tostring = function() while true do end end }))
return { devices = { { count = 1 } } }
