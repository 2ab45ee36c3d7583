@echo off
rem The siptrunks provider plugin (Windows): the Pulumi engine runs this file.
node "%~dp0..\dist\provider\plugin-host\main.js" %*
