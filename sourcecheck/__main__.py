from sourcecheck.cli import main

main()
