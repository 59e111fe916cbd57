export { PROTOCOL } from './constants.js'
