@echo off
rem mpft - the multi-path download client, from a release archive (lib\mpft-cli.jar).
rem Runs %JAVA_HOME%\bin\java.exe, else java on the PATH (Java 17 or newer). JAVA_OPTS is passed after the defaults.
setlocal
set "MPFT_ROOT=%~dp0.."
set "MPFT_JAVA=java"
if defined JAVA_HOME set "MPFT_JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%MPFT_ROOT%\runtime\bin\java.exe" set "MPFT_JAVA=%MPFT_ROOT%\runtime\bin\java.exe"
rem native access granted to the class path (netty's native QUIC), which keeps Java 24+'s restricted-method warning
rem off the console; Java 17 to 21 accept the option as well
"%MPFT_JAVA%" --enable-native-access=ALL-UNNAMED -Xms16m -Xmx256m -XX:+UseSerialGC -XX:MaxInlineLevel=3 -XX:FreqInlineSize=100 %JAVA_OPTS% -jar "%MPFT_ROOT%\lib\mpft-cli.jar" %*
exit /b %ERRORLEVEL%
