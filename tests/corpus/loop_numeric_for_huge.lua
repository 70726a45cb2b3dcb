-- expect: exit 2
-- message: endless loop
local count = 0
for i = 1, math.maxinteger do count = count + 1 end
return { devices = { { count = count } } }
