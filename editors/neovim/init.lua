-- ghostls in Neovim 0.12+: AI ghost text shown natively (vim.lsp.inline_completion).
-- The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
vim.lsp.config('ghostls', {
  cmd = { 'ghostls' },
  filetypes = { 'c', 'cpp', 'go', 'javascript', 'lua', 'python', 'rust', 'sh', 'typescript' },
  root_markers = { '.git' },
  init_options = {
    baseUrl = 'http://127.0.0.1:8080/v1', -- any OpenAI-compatible server
    model = 'qwen2.5-coder-1.5b',
    promptMode = 'fim',
  },
})
vim.lsp.enable('ghostls')
vim.lsp.inline_completion.enable()


-- Neovim 0.12 keeps a suggestion shown while you type, and accepts it where it was asked for.
-- A character that is not the suggestion's next one drops it (and the answers still on their
-- way), and <Tab> after typing part of it replaces what you typed rather than repeating it.
local ghost = vim.api.nvim_create_namespace('nvim.lsp.inline_completion')
local function typed_through(item)
  local range = item.range
  if not range or type(item.insert_text) ~= 'string' then
    return item
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local srow, scol, erow, ecol = range:to_extmark()
  local done = vim.api.nvim_get_current_line():sub(scol + 1, col)
  if row - 1 ~= srow or col < scol or not vim.startswith(item.insert_text, done) then
    return nil
  end
  item.range = vim.range.extmark(0, srow, scol, erow, ecol + (erow == srow and #done or 0))
  return item
end
vim.api.nvim_create_autocmd('InsertCharPre', {
  callback = function(args)
    local mark = vim.api.nvim_buf_get_extmarks(args.buf, ghost, 0, -1, { details = true })[1]
    local row, col = unpack(vim.api.nvim_win_get_cursor(0))
    local shown = mark and mark[4].virt_text and mark[4].virt_text[1][1] or ''
    local line = vim.api.nvim_get_current_line()
    if mark and mark[2] == row - 1 and mark[3] <= col then
      if vim.startswith(shown, line:sub(mark[3] + 1, col) .. vim.v.char) then
        return
      end
    end
    for _, client in ipairs(vim.lsp.get_clients({ bufnr = args.buf, name = 'ghostls' })) do
      for id, request in pairs(client.requests) do
        if request.type == 'pending' and request.method == 'textDocument/inlineCompletion' then
          client:cancel_request(id)
        end
      end
    end
    if mark then
      vim.lsp.inline_completion.get({
        on_accept = function()
          vim.api.nvim_exec_autocmds('CursorMovedI', { buffer = args.buf, modeline = false })
        end,
      })
    end
  end,
})

-- <Tab> accepts the suggestion shown, and is a plain <Tab> otherwise.
vim.keymap.set('i', '<Tab>', function()
  if not vim.lsp.inline_completion.get({ on_accept = typed_through }) then
    return '<Tab>'
  end
end, { expr = true, desc = 'Accept the AI suggestion' })
