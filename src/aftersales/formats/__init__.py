"""The project's number and date formats where Django's locale data is not what its users expect
(``FORMAT_MODULE_PATH``)."""
