import sys

from vi2en.cli.main import main

sys.exit(main())
