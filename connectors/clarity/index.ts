export { default } from './clarity.connector';
