--- What ghostls's Neovim modules share: calls that differ between Neovim versions, cancelling a
--- request, clearing what is shown, and keys mapped to an action that falls back to the key's
--- own job.

local M = {}

local api = vim.api
local has_011 = vim.fn.has('nvim-0.11') == 1

--- Calls a client function: Neovim 0.11 made them methods; 0.10 has plain functions.
function M.call(client, name, ...)
  if has_011 then
    return client[name](client, ...)
  end
  return client[name](...)
end

--- The byte index in `line` of a character offset in `encoding`, clamped to the line.
function M.byte_index(line, character, encoding)
  if has_011 then
    return vim.str_byteindex(line, encoding, character, false)
  end
  if encoding == 'utf-8' then
    return math.min(character, #line)
  end
  local ok, index = pcall(vim.str_byteindex, line, character, encoding == 'utf-16')
  return ok and index or #line
end

--- Cancels the request in flight (`pending`: { client, id }, or nil); returns nil, for the
--- caller to store.
function M.cancel(pending)
  if pending then
    M.call(pending.client, 'cancel_request', pending.id)
  end
  return nil
end

--- Clears what is drawn in namespace `ns` of the buffer `shown.buf` (`shown` may be nil);
--- returns nil, for the caller to store.
function M.clear(shown, ns)
  if shown and api.nvim_buf_is_valid(shown.buf) then
    api.nvim_buf_clear_namespace(shown.buf, ns, 0, -1)
  end
  return nil
end

--- Maps `lhs` in `mode` to `action`; when the action does nothing (returns false), the key does
--- what it would have done. A false `lhs` maps nothing.
function M.map(mode, lhs, action, desc)
  if not lhs then
    return
  end
  vim.keymap.set(mode, lhs, function()
    if not action() then
      api.nvim_feedkeys(vim.keycode(lhs), 'n', false)
    end
  end, { desc = desc })
end

return M
