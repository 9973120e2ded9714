;;; ghostls with eglot (built into Emacs 29 and later).  -*- lexical-binding: t -*-
;; eglot has no inline completion: the AI suggestion comes as the first completion candidate
;; (annotated "ghostls AI suggestion") of `completion-at-point' (C-M-i, or company/corfu),
;; and the AI code actions come through `eglot-code-actions'.
;; eglot runs one server per buffer, so here ghostls is the Python buffers' server.
;; The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((python-mode python-ts-mode)
                 . ("ghostls"
                    :initializationOptions
                    (:baseUrl "http://127.0.0.1:8080/v1" ; any OpenAI-compatible server
                     :model "qwen2.5-coder-1.5b"
                     :promptMode "fim")))))
(add-hook 'python-mode-hook #'eglot-ensure)
(add-hook 'python-ts-mode-hook #'eglot-ensure)
