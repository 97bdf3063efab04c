#!/bin/sh
# Used by tests/system/definitions/system-command.yaml: leaves a child sleeping in the background
# (in the command's process group) and exits 0 at once. The worker must end the group: the system
# test then finds no "sleep 317" in the container.
sleep 317 &
echo "forked $!"
