-- expect: exit 2
-- message: no visible label 'done'
local n = 0
for i = 1, 10 do
  n = n + i
  if n > 20 then goto done end
end
return { devices = { { count = n } } }
