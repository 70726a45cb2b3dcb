-- expect: exit 2
-- message: endless loop
while true do
  coroutine.resume(coroutine.create(function() while true do end end))
end
return { devices = { { count = 1 } } }
