-- Argo CD health check for wspool.dev/WebSocketPool.
-- Install it under resource.customizations.health.wspool.dev_WebSocketPool in argocd-cm (see the chart README).
-- Reads what the operator writes: status.observedGeneration and the Ready / Progressing / Degraded conditions.
--   Progressing: no status yet, the operator has not seen the latest spec, or the pool is still rolling out.
--   Degraded:    Degraded=True (an invalid spec or failed applies), with the operator's message.
--   Healthy:     Ready=True for the current generation.
local hs = {}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the wspool operator to report status"
  return hs
end

local generation = (obj.metadata and obj.metadata.generation) or 0
local observed = status.observedGeneration
if observed == nil or observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local degraded = condition(status, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = (degraded.reason or "Degraded") .. ": " .. (degraded.message or "")
  return hs
end

local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = (ready.reason or "NotReady") .. ": " .. (ready.message or "")
else
  hs.message = "Waiting for the Ready condition"
end
return hs
