;;; ghostls with lsp-mode 9 or later (lsp-inline-completion-mode).  -*- lexical-binding: t -*-
;; UNTESTED: Debian ships lsp-mode 8.0 only (elpa-lsp-mode), which has no inline completion; the
;; test suite runs eglot instead (editors/emacs/init.el). Install lsp-mode 9+ from MELPA.
;; ghostls runs beside your usual Python server (:add-on? t); the AI suggestion is shown as
;; ghost text by `lsp-inline-completion-mode' (keys: `lsp-inline-completion-active-map').
;; The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
(with-eval-after-load 'lsp-mode
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection '("ghostls"))
    :activation-fn (lsp-activate-on "python")
    :add-on? t
    :server-id 'ghostls
    :initialization-options
    '(:baseUrl "http://127.0.0.1:8080/v1" ; any OpenAI-compatible server
      :model "qwen2.5-coder-1.5b"
      :promptMode "fim"))))
(add-hook 'lsp-mode-hook #'lsp-inline-completion-mode)
(add-hook 'python-mode-hook #'lsp-deferred)
