-- Argo CD health check for relup.dev/ErlangRelease.
-- Progressing while the controller has not seen the latest spec or a move is in flight;
-- Degraded when the Degraded condition is True; Suspended while a move waits for approval (spec.paused);
-- Healthy when Ready is True.
local hs = {status = "Progressing", message = "Waiting for the relup operator"}
if obj.status == nil then
  return hs
end
local generation = obj.metadata.generation or 0
local observed = obj.status.observedGeneration or 0
if observed < generation then
  hs.message = "Spec generation " .. generation .. " not yet observed (observed " .. observed .. ")"
  return hs
end
local conditions = {}
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    conditions[c.type] = c
  end
end
local degraded = conditions["Degraded"]
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = (degraded.reason or "Degraded") .. ": " .. (degraded.message or "")
  return hs
end
local progressing = conditions["Progressing"]
if progressing ~= nil and progressing.status == "True" and progressing.reason == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = progressing.message or "paused: awaiting approval"
  return hs
end
if progressing ~= nil and progressing.status == "True" then
  hs.status = "Progressing"
  hs.message = progressing.message or "moving"
  return hs
end
local ready = conditions["Ready"]
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end
if ready ~= nil then
  hs.message = ready.message or hs.message
end
return hs
