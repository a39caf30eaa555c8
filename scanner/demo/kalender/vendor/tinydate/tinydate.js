/*! tinydate | MIT License | Copyright (c) 2019 Example Date Authors */
export default function (str) { return new Date(str).toISOString(); }
