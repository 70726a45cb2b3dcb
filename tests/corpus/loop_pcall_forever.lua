-- expect: exit 2
-- message: endless loop
while true do
  pcall(function() while true do end end)
end
return { devices = { { count = 10 } } }
