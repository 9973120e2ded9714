from ghostls.cli import main

raise SystemExit(main())
