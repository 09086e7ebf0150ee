from partnerdesk.cli.main import main

raise SystemExit(main())
